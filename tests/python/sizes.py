"""Measure what verbatim costs an agent's context, through the official MCP Python SDK.

Usage: python tests/python/sizes.py [BINARY] [-- extra `serve` arguments]

Prints the characters of `tools/list` (the tools as JSON, as a client
receives them) and, for a few queries over the corpus, the characters of a
default `search_quotes` page: its text content and its structured content
(compact JSON), in all and per hit.
"""

from __future__ import annotations

import asyncio
import json
import sys

from mcp import Client, StdioServerParameters

QUERIES = ["souveraineté", "intelligence artificielle", "Mistral", "données", "Elon Musk"]


def compact(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


async def main() -> None:
    argv = sys.argv[1:]
    extra: list[str] = []
    if "--" in argv:
        cut = argv.index("--")
        argv, extra = argv[:cut], argv[cut + 1 :]
    binary = argv[0] if argv else "target/debug/verbatim"
    params = StdioServerParameters(command=binary, args=["serve", *extra])
    async with Client(params, mode="legacy") as client:
        tools = (await client.list_tools()).tools
        listed = [t.model_dump(mode="json", by_alias=True, exclude_none=True) for t in tools]
        print(f"tools/list: {len(compact(listed))} characters, {len(tools)} tools")
        for t in listed:
            print(f"  {t['name']}: {len(compact(t))} (output schema {len(compact(t.get('outputSchema', {})))})")
        for query in QUERIES:
            result = await client.call_tool("search_quotes", {"query": query})
            text = "".join(c.text for c in result.content if c.type == "text")
            structured = compact(result.structured_content)
            hits = len(result.structured_content.get("hits", [])) or 1
            print(
                f"search {query!r}: {hits} hits, text {len(text)} ({len(text) // hits}/hit), "
                f"structured {len(structured)} ({len(structured) // hits}/hit)"
            )


if __name__ == "__main__":
    asyncio.run(main())
