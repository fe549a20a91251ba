from newsbot.profiles import IRIBNEWS
from newsbot.spiders.base import NewsSiteSpider


class IribnewsSpider(NewsSiteSpider):
    """IRIB News (www.iribnews.ir), the national broadcaster's news agency."""

    name = "iribnews"
    profile = IRIBNEWS
