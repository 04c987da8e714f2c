"""docs/api.md shows the Python client example as it is in docs/examples/sync.py, which
tests/integration/test_sync_example.py runs against a live server."""

from pathlib import Path

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_the_python_example_in_the_api_page_is_the_file_the_tests_run():
    page = (DOCS / "api.md").read_text()
    example = (DOCS / "examples" / "sync.py").read_text()
    assert f"```python\n{example}```\n" in page
