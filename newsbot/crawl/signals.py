"""newsbot's own Scrapy signals (the feed storage's are in newsbot.crawl.feeds)."""

# A page the crawl fetched or tried to fetch gave no record: url, reason (a short stable key,
# as in the stats' newsbot/dropped/<reason>), kind (front, article, feed, archive) and start
# (whether it was a start page: the home page, a feed, the archive's first page).
page_dropped = object()

# An article page was read: spider, url, and sources, where each field that has a value was read
# (newsbot.extract.article.FieldSource by field name: the profile, a family fallback, the
# page's metadata, the URL). The crawl report counts them; records never carry them.
article_read = object()

# An article page says it has comments (a count above 0) that the crawl could not read: url
# (the article's) and reason (as in the stats' newsbot/comments/missing/<reason>).
comments_missing = object()
