from newsbot.crawl.spider import NewsSiteSpider
from newsbot.sites.profiles import IRIBNEWS


class IribnewsSpider(NewsSiteSpider):
    """IRIB News (www.iribnews.ir), the national broadcaster's news agency."""

    name = "iribnews"
    profile = IRIBNEWS
