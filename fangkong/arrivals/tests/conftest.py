from fangkong.checkpoints.tests.conftest import (  # noqa: F401
    checkpoint,
    fresh_caches,
    more_regions,
    outsider_checkpoint,
    token_for,
)
