from newsbot.crawl.spider import NewsSiteSpider
from newsbot.sites.profiles import BARTARINHA


class BartarinhaSpider(NewsSiteSpider):
    """Bartarinha (www.bartarinha.ir), a news and lifestyle site."""

    name = "bartarinha"
    profile = BARTARINHA
