"""Pure text layer: Persian normalisation and Jalali time. Imports no Scrapy."""
