# English dates as the platform writes them: 20 Jan 2022, 20 Jan 2022 16:00, 20 Jan (24-hour
# clock, as in Chinese, rather than Django's "Jan. 20, 2022, 4 p.m.").
DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y H:i"
MONTH_DAY_FORMAT = "j M"
TIME_FORMAT = "H:i"
