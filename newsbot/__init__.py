"""newsbot: Persian news sites on the IranSamaneh CMS → clean, exactly dated JSON Lines."""

__version__ = "0.1.0"
