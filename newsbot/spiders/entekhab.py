from newsbot.profiles import ENTEKHAB
from newsbot.spiders.base import NewsSiteSpider


class EntekhabSpider(NewsSiteSpider):
    """Entekhab (www.entekhab.ir), a news site."""

    name = "entekhab"
    profile = ENTEKHAB
