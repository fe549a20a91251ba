from newsbot.crawl.spider import NewsSiteSpider
from newsbot.sites.profiles import YJC


class YjcSpider(NewsSiteSpider):
    """Young Journalists Club (www.yjc.ir), a news agency of the national broadcaster."""

    name = "yjc"
    profile = YJC
