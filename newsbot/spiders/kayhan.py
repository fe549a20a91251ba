from newsbot.crawl.spider import NewsSiteSpider
from newsbot.sites.profiles import KAYHAN


class KayhanSpider(NewsSiteSpider):
    """Kayhan (kayhan.ir), a daily newspaper: its front pages are its print issue's pages."""

    name = "kayhan"
    profile = KAYHAN
