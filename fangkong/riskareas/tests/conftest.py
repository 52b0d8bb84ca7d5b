from fangkong.checkpoints.tests.conftest import fresh_caches, more_regions  # noqa: F401
