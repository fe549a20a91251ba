from newsbot.profiles import YJC
from newsbot.spiders.base import NewsSiteSpider


class YjcSpider(NewsSiteSpider):
    """Young Journalists Club (www.yjc.ir), a news agency of the national broadcaster."""

    name = "yjc"
    profile = YJC
