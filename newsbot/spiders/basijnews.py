from newsbot.profiles import BASIJNEWS
from newsbot.spiders.base import NewsSiteSpider


class BasijnewsSpider(NewsSiteSpider):
    """Basij News (basijnews.ir), the Basij organisation's news agency."""

    name = "basijnews"
    profile = BASIJNEWS
