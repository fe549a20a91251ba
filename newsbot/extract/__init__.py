"""Pure extraction layer: page parsers (HTML + URL → fields) and the record steps
(normalise, date, check). Imports neither Scrapy nor newsbot.crawl."""
