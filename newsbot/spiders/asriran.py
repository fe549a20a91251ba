from newsbot.profiles import ASRIRAN
from newsbot.spiders.base import NewsSiteSpider


class AsriranSpider(NewsSiteSpider):
    """Asr Iran (www.asriran.com), a news and analysis site."""

    name = "asriran"
    profile = ASRIRAN
