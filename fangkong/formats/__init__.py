"""Date formats per language (FORMAT_MODULE_PATH): templates write `|date:"DATE_FORMAT"` and
friends, so Chinese reads 2022年1月20日 and English 20 Jan 2022. Names not set here fall back
to Django's own formats for the language."""
