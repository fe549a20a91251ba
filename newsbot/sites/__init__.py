"""Pure site layer: site profiles (data) and URL kinds. Imports no Scrapy."""
