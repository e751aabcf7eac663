"""Hypothesis settings for the property tests of the parsers.

The suite is deterministic: examples are derived from each test's name, not drawn at
random, and no example has a time limit (the machine's load must not decide a result).
`HYPOTHESIS_PROFILE=explore` draws new random examples, many more of them: run it by
hand to search further, and keep what it finds as an `@example` of the test.
"""

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "casefile",
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "explore", deadline=None, max_examples=2000, print_blob=True, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "casefile"))
