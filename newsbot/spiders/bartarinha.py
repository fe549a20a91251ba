from newsbot.profiles import BARTARINHA
from newsbot.spiders.base import NewsSiteSpider


class BartarinhaSpider(NewsSiteSpider):
    """Bartarinha (www.bartarinha.ir), a news and lifestyle site."""

    name = "bartarinha"
    profile = BARTARINHA
