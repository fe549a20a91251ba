"""newsbot's own Scrapy signals (the feed storage's are in newsbot.crawl.feeds)."""

# A page the crawl fetched or tried to fetch gave no record: url, reason (a short stable key,
# as in the stats' newsbot/dropped/<reason>) and kind (front, article, feed, archive).
page_dropped = object()
