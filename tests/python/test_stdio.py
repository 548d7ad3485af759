"""Drive the built verbatim binary over stdio with the official MCP Python SDK.

Usage: python tests/python/test_stdio.py [BINARY] [-- extra `serve` arguments]
(BINARY defaults to target/release/verbatim, then target/debug/verbatim).

Every tool, resource, prompt and completion is called, once with the
initialize handshake (protocol 2025-11-25, what most clients speak) and once
with the 2026-07-28 protocol (server/discover, no handshake). The SDK also
validates every structured result against the tool's output schema.
Assertions hold for any corpus; a few more run when the corpus is the five
embedded seeds.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys

from mcp import Client, MCPError, StdioServerParameters
from mcp.types import PromptReference, ResourceTemplateReference

TOOLS = {
    "list_episodes",
    "get_episode",
    "list_chapters",
    "read_chapter",
    "read_transcript",
    "search_quotes",
    "trace_topic",
    "verify_quote",
    "summarize_speakers",
}
SEED_IDS = {
    "interview-arthur-mensch-mistral",
    "mac-127-troisieme-voie-tech",
    "mac-138-chatbots-lupus-bdd",
    "smarttech-elon-musk-ia",
    "techco-moltbook-spacex-xai",
}


def binary_and_args() -> tuple[str, list[str]]:
    argv = sys.argv[1:]
    extra: list[str] = []
    if "--" in argv:
        cut = argv.index("--")
        argv, extra = argv[:cut], argv[cut + 1 :]
    if argv:
        return argv[0], extra
    for candidate in ("target/release/verbatim", "target/debug/verbatim"):
        if os.path.exists(candidate):
            return candidate, extra
    sys.exit("build verbatim first (cargo build --release) or pass the binary's path")


def data(result) -> dict:
    """A successful tool result's structured content, checked against its text copy."""
    assert not result.is_error, result.content
    structured = result.structured_content
    assert isinstance(structured, dict), result
    text = result.content[0].text
    assert json.loads(text) == structured, "the text content must carry the same information"
    return structured


def error_text(result) -> str:
    assert result.is_error, f"expected a tool error, got {result}"
    return result.content[0].text


async def exercise(binary: str, extra: list[str], mode: str) -> None:
    params = StdioServerParameters(command=binary, args=["serve", *extra])
    async with Client(params, mode=mode) as client:
        expected = "2026-07-28" if mode == "auto" else "2025-11-25"
        assert client.protocol_version == expected, client.protocol_version
        assert client.server_info is not None and client.server_info.name == "verbatim"
        assert "verify_quote" in (client.instructions or "")

        tools = (await client.list_tools()).tools
        assert {t.name for t in tools} == TOOLS, [t.name for t in tools]
        for tool in tools:
            assert tool.title or (tool.annotations and tool.annotations.title), tool.name
            assert tool.annotations.read_only_hint is True, tool.name
            assert tool.annotations.open_world_hint is False, tool.name
            assert tool.output_schema, tool.name
        # Issue 15: the tool definitions fit a context window.
        listed = json.dumps(
            [t.model_dump(mode="json", by_alias=True, exclude_none=True) for t in tools],
            ensure_ascii=False,
            separators=(",", ":"),
        )
        assert len(listed) < 16_000, len(listed)

        # list_episodes, with a page walk.
        listing = data(await client.call_tool("list_episodes", {}))
        total = listing["total"]
        assert total >= 1 and listing["episodes"], listing
        ids = []
        cursor = None
        while True:
            args = {"limit": 2} | ({"cursor": cursor} if cursor else {})
            page = data(await client.call_tool("list_episodes", args))
            ids += [e["episode_id"] for e in page["episodes"]]
            cursor = page.get("next_cursor")
            if not cursor:
                break
        assert len(ids) == total and len(set(ids)) == total, ids
        seeds = set(ids) == SEED_IDS

        # get_episode / list_chapters for every episode; remember one with chapters.
        with_chapters = None
        for episode_id in ids:
            details = data(await client.call_tool("get_episode", {"episode_id": episode_id}))
            assert details["episode_id"] == episode_id and details["title"], details
            assert details["statistics"]["passages"] >= 1, details["statistics"]
            chapters = data(await client.call_tool("list_chapters", {"episode_id": episode_id}))
            if chapters["chapters"] and with_chapters is None:
                with_chapters = episode_id

        # read_chapter, following cursors to the end of the chapter.
        if with_chapters:
            seen, cursor = 0, None
            while True:
                args = {"episode_id": with_chapters, "chapter": 0, "max_chars": 500}
                page = data(await client.call_tool("read_chapter", args | ({"cursor": cursor} if cursor else {})))
                seen += len(page["passages"])
                cursor = page.get("next_cursor")
                if not cursor:
                    break
            assert seen == page["window_passages"], (seen, page["window_passages"])

        # read_transcript from the start of the first episode, and take a passage to look for.
        first = data(await client.call_tool("read_transcript", {"episode_id": ids[0], "max_chars": 2000}))
        assert first["passages"], first
        passage = max(first["passages"], key=lambda p: len(p["text"]))
        words = [w for w in passage["text"].split() if len(w.strip(".,;:!?«»\"'")) > 6]
        assert words, passage

        # search_quotes finds the passage's words, and read_transcript reads around a hit.
        found = data(await client.call_tool("search_quotes", {"query": words[0].strip(".,;:!?«»\"'"), "limit": 5}))
        assert found["total_hits"] >= 1 and found["hits"], found
        hit = found["hits"][0]
        for key in ("passage_id", "episode_id", "quote", "citation", "uri"):
            assert key in hit, hit
        full = data(await client.call_tool("search_quotes", {"query": words[0].strip(".,;:!?«»\"'"), "detail": "full"}))
        assert "timing" in full["hits"][0] and "highlights" in full["hits"][0], full["hits"][0]
        # The result links the episodes it cites, and the links resolve.
        result = await client.call_tool("search_quotes", {"query": words[0].strip(".,;:!?«»\"'"), "limit": 5})
        links = [c for c in result.content if c.type == "resource_link"]
        assert {str(link.uri) for link in links} == {h["uri"] for h in found["hits"]}, links
        for link in links:
            assert (await client.read_resource(str(link.uri))).contents, link
        around = data(
            await client.call_tool(
                "read_transcript",
                {"episode_id": hit["episode_id"], "around_passage": hit["passage_id"], "before": 2, "after": 2},
            )
        )
        assert hit["passage_id"] in [p["passage_id"] for p in around["passages"]], around

        # trace_topic: the episodes saying the words, oldest first, each with its best quote.
        traced = data(await client.call_tool("trace_topic", {"query": words[0].strip(".,;:!?«»\"'")}))
        assert traced["episodes"] and traced["total_hits"] == found["total_hits"], traced
        assert sum(e["matches"] for e in traced["episodes"]) == traced["total_hits"], traced
        dated = [e["published"] for e in traced["episodes"] if "published" in e]
        assert dated == sorted(dated), dated
        best = traced["episodes"][0]["best"]
        assert best["quote"] and best["citation"] and best["passage_id"], best
        assert "empty" in error_text(await client.call_tool("trace_topic", {"query": " "}))

        # verify_quote: the transcript's words are exact, a fabricated sentence is not.
        quote = " ".join(passage["text"].split()[:14])
        exact = data(await client.call_tool("verify_quote", {"quote": quote}))
        assert exact["verdict"] == "exact" and exact["similarity"] == 1.0, exact
        assert exact["match"]["episode_id"] == ids[0], exact["match"]
        invented = data(
            await client.call_tool(
                "verify_quote", {"quote": "Les licornes violettes ont voté hier soir pour interdire le fromage lunaire."}
            )
        )
        assert invented["verdict"] == "not_said", invented

        # summarize_speakers over the corpus and one episode.
        everyone = data(await client.call_tool("summarize_speakers", {}))
        assert everyone["speakers"], everyone
        one = data(await client.call_tool("summarize_speakers", {"episode_id": ids[0]}))
        assert one["speakers"], one

        # Tool errors the model can act on.
        message = error_text(await client.call_tool("get_episode", {"episode_id": ids[0] + "-x"}))
        assert ids[0] in message, message
        assert "empty" in error_text(await client.call_tool("search_quotes", {"query": " "}))
        assert "between" in error_text(await client.call_tool("list_episodes", {"limit": 0}))
        assert "cursor" in error_text(await client.call_tool("list_episodes", {"cursor": "nonsense"}))

        # Unknown tool: a JSON-RPC error; the server keeps serving.
        try:
            await client.call_tool("no_such_tool", {})
            raise AssertionError("an unknown tool must be a JSON-RPC error")
        except MCPError as e:
            assert e.code == -32602, e
        data(await client.call_tool("list_episodes", {"limit": 1}))

        # Resources and templates.
        resources = (await client.list_resources()).resources
        assert {str(r.uri) for r in resources} == {f"verbatim://episodes/{i}" for i in ids}, resources
        templates = (await client.list_resource_templates()).resource_templates
        assert {t.uri_template for t in templates} == {
            "verbatim://episodes/{episode_id}",
            "verbatim://episodes/{episode_id}/chapters/{chapter}",
        }
        markdown = (await client.read_resource(f"verbatim://episodes/{ids[0]}")).contents[0].text
        assert markdown.startswith("# "), markdown[:200]
        if with_chapters:
            chapter = (await client.read_resource(f"verbatim://episodes/{with_chapters}/chapters/0")).contents[0].text
            assert "## Chapter 0" in chapter, chapter[:300]
        try:
            await client.read_resource("verbatim://episodes/does-not-exist")
            raise AssertionError("an unknown resource must be an error")
        except MCPError as e:
            assert e.code == -32602, e

        # Prompts.
        prompts = {p.name for p in (await client.list_prompts()).prompts}
        assert prompts == {"cite_quotes", "episode_brief", "speaker_profile"}, prompts
        cite = await client.get_prompt("cite_quotes", {"topic": "intelligence artificielle"})
        assert "verify_quote" in cite.messages[0].content.text
        brief = await client.get_prompt("episode_brief", {"episode_id": ids[0]})
        assert ids[0] in brief.messages[0].content.text
        speaker = everyone["speakers"][0]["name"]
        profile = await client.get_prompt("speaker_profile", {"speaker": speaker})
        assert speaker in profile.messages[0].content.text

        # Completions.
        done = await client.complete(PromptReference(name="episode_brief"), {"name": "episode_id", "value": ids[0][:3]})
        assert ids[0] in done.completion.values, done
        done = await client.complete(
            ResourceTemplateReference(uri="verbatim://episodes/{episode_id}"), {"name": "episode_id", "value": ""}
        )
        assert set(done.completion.values) == set(ids), done
        done = await client.complete(PromptReference(name="speaker_profile"), {"name": "speaker", "value": speaker[:3]})
        assert speaker in done.completion.values, done

        if seeds:
            trace = data(await client.call_tool("trace_topic", {"query": "intelligence artificielle"}))
            assert trace["episodes"][-1]["episode_id"] == "interview-arthur-mensch-mistral", trace  # undated: last
            assert any("no publication date" in n for n in trace.get("notes", [])), trace
            mistral = data(await client.call_tool("search_quotes", {"query": "Mistral"}))
            assert mistral["total_hits"] >= 1, mistral
            assert any(h["episode_id"] == "interview-arthur-mensch-mistral" for h in mistral["hits"]), mistral
            chapters = data(await client.call_tool("list_chapters", {"episode_id": "mac-138-chatbots-lupus-bdd"}))
            assert len(chapters["chapters"]) >= 3, chapters

    print(f"ok: protocol {expected}, {total} episodes, {len(TOOLS)} tools")


async def main() -> None:
    binary, extra = binary_and_args()
    await exercise(binary, extra, "legacy")
    # "auto" probes server/discover and speaks 2026-07-28, which verbatim supports.
    await exercise(binary, extra, "auto")


if __name__ == "__main__":
    asyncio.run(main())
