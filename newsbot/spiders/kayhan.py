from newsbot.profiles import KAYHAN
from newsbot.spiders.base import NewsSiteSpider


class KayhanSpider(NewsSiteSpider):
    """Kayhan (kayhan.ir), a daily newspaper: its front pages are its print issue's pages."""

    name = "kayhan"
    profile = KAYHAN
