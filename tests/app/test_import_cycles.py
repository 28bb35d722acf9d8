"""No module of the domain imports itself back, directly or through others.

Import-linter checks the layers named in pyproject.toml; this checks the whole of
``app/``, including imports inside functions (grimp counts those too), so a cycle
cannot hide behind a late import.
"""

from __future__ import annotations

import grimp

# The graph is built from the source; far fewer modules would mean it read the wrong
# package and every check below would pass for nothing.
MIN_MODULES = 150


def import_cycles(package: str) -> list[list[str]]:
    """Every group of modules in ``package`` that import one another in a circle
    (strongly connected components of more than one module, or a module importing itself)."""
    graph = grimp.build_graph(package, cache_dir=None)
    modules = sorted(graph.modules)
    edges = {m: sorted(graph.find_modules_directly_imported_by(m)) for m in modules}
    # Tarjan's algorithm, iterative: the graph is deep enough to strain recursion.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    counter = 0
    for root in modules:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, position = work.pop()
            if position == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            successors = edges[node]
            if position < len(successors):
                work.append((node, position + 1))
                child = successors[position]
                if child not in index:
                    work.append((child, 0))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1 or node in edges[node]:
                    cycles.append(sorted(group))
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return cycles


def test_the_domain_has_no_import_cycles():
    graph = grimp.build_graph("app", cache_dir=None)
    assert len(graph.modules) >= MIN_MODULES
    assert import_cycles("app") == []


def test_a_cycle_is_found(tmp_path, monkeypatch):
    # The check itself must be able to fail: a package whose modules import in a circle.
    package = tmp_path / "circular_example"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "first.py").write_text("from circular_example import second\n")
    (package / "second.py").write_text("def late():\n    from circular_example import third\n")
    (package / "third.py").write_text("import circular_example.first\n")
    (package / "apart.py").write_text("from circular_example import first\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert import_cycles("circular_example") == [
        ["circular_example.first", "circular_example.second", "circular_example.third"]
    ]
