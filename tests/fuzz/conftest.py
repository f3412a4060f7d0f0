"""The fuzzer's counters, printed in the terminal summary for the docs."""
import pytest

FIGURES_KEY = pytest.StashKey[dict]()


@pytest.fixture(scope="session")
def fuzz_stats(request):
    """Counters the fuzz tests add to: role runs, examples, requests, refusals, 5xx."""
    return request.config.stash.setdefault(
        FIGURES_KEY, {"runs": 0, "examples": 0, "requests": 0, "4xx": 0, "5xx": 0})


def pytest_terminal_summary(terminalreporter, config):
    stats = config.stash.get(FIGURES_KEY, None)
    if stats:
        terminalreporter.write_line(
            f"fuzz figures: {stats['runs']} role runs, {stats['examples']} Hypothesis examples, "
            f"{stats['requests']} requests, {stats['4xx']} refused (4xx), {stats['5xx']} 5xx")
