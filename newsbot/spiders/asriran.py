from newsbot.crawl.spider import NewsSiteSpider
from newsbot.sites.profiles import ASRIRAN


class AsriranSpider(NewsSiteSpider):
    """Asr Iran (www.asriran.com), a news and analysis site."""

    name = "asriran"
    profile = ASRIRAN
