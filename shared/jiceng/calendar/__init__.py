"""Working days in mainland China: official holidays and 调休 make-up days, per year."""

from jiceng.calendar.clock import SHANGHAI, today
from jiceng.calendar.working_days import Notice, WorkingDayCalendar, official_notices

__all__ = ["SHANGHAI", "Notice", "WorkingDayCalendar", "official_notices", "today"]
