"""Spreadsheets in and out (导入导出): reading rosters departments keep, writing reports.

``reading`` opens xlsx and CSV files as rows keyed by the fields a ``mapping`` names,
``cells`` turns what clerks type into values, ``report`` collects what is wrong per row, and
``writing`` renders rows as xlsx or CSV with Chinese headers.
"""
