"""assessment: organisational life, study hours, appraisal and ratings (考核评价)."""

SERVICE = "assessment"
