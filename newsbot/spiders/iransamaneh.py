from newsbot.crawl.family import FamilySpider


class IransamanehSpider(FamilySpider):
    """Any site on the IranSamaneh CMS: `scrapy crawl iransamaneh -a site=aftabnews.ir`."""

    name = "iransamaneh"
