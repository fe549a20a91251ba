"""newsbot's own Scrapy signals (the feed storage's are in newsbot.crawl.feeds)."""

# A page the crawl fetched or tried to fetch gave no record: url, reason (a short stable key,
# as in the stats' newsbot/dropped/<reason>), kind (front, article, feed, archive) and start
# (whether it was a start page: the home page, a feed, the archive's first page).
page_dropped = object()
