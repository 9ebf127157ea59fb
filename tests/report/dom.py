"""A small DOM for the tests, built with the standard library's HTML parser:
enough to find elements by tag, id or attribute and read their text, for
both the rendered page and the DOM Chromium dumps after its scripts ran."""
from __future__ import annotations

from html.parser import HTMLParser
from typing import Callable, Dict, Iterator, List, Optional

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Node:
    def __init__(self, tag: str, attrs: Dict[str, Optional[str]], parent: Optional["Node"]) -> None:
        self.tag = tag
        self.attrs = attrs
        self.parent = parent
        self.children: List["Node"] = []
        self.parts: List[object] = []  # text and child nodes, in order

    @property
    def text(self) -> str:
        return "".join(p if isinstance(p, str) else p.text for p in self.parts)  # type: ignore[union-attr]

    def get(self, name: str) -> Optional[str]:
        return self.attrs.get(name)

    def iter(self) -> Iterator["Node"]:
        for child in self.children:
            yield child
            yield from child.iter()

    def find_all(self, tag: Optional[str] = None, pred: Callable[["Node"], bool] = lambda n: True, **attrs: str) -> List["Node"]:
        out = []
        for node in self.iter():
            if tag is not None and node.tag != tag:
                continue
            if any(node.attrs.get(k.replace("_", "-")) != v for k, v in attrs.items()):
                continue
            if pred(node):
                out.append(node)
        return out

    def by_id(self, ident: str) -> "Node":
        found = [n for n in self.iter() if n.attrs.get("id") == ident]
        assert len(found) == 1, f"expected one element with id {ident!r}, found {len(found)}"
        return found[0]

    def hidden(self) -> bool:
        node: Optional[Node] = self
        while node is not None:
            if "hidden" in node.attrs:
                return True
            node = node.parent
        return False


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {}, None)
        self.cur = self.root

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        node = Node(tag, dict(attrs), self.cur)
        self.cur.children.append(node)
        self.cur.parts.append(node)
        if tag not in VOID:
            self.cur = node

    def handle_startendtag(self, tag, attrs):  # type: ignore[no-untyped-def]
        node = Node(tag, dict(attrs), self.cur)
        self.cur.children.append(node)
        self.cur.parts.append(node)

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        node: Optional[Node] = self.cur
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.cur = node.parent

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        self.cur.parts.append(data)


def parse(html: str) -> Node:
    builder = _Builder()
    builder.feed(html)
    builder.close()
    return builder.root
