from newsbot.crawl.spider import NewsSiteSpider
from newsbot.sites.profiles import BASIJNEWS


class BasijnewsSpider(NewsSiteSpider):
    """Basij News (basijnews.ir), the Basij organisation's news agency."""

    name = "basijnews"
    profile = BASIJNEWS
