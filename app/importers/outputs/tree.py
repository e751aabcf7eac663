"""Chat exports whose messages form a tree: every branch kept, the main one in order.

Two layouts are read: ChatGPT's `mapping` {node id: {parent, children, message}} with
a `current_node`, and a message list whose entries name their parent (`parent`,
`parent_id`, `parent_message_uuid`, ...). The main branch is the path to the current
node (else to the latest leaf, then the longest); every other leaf is a branch, kept with the turns
after the point where it leaves the main branch.
"""

ID_KEYS = ("id", "uuid")
PARENT_KEYS = ("parent", "parent_id", "parentId", "parent_message_uuid", "parent_uuid")
TREE_LIST_KEYS = ("messages", "chat_messages", "conversation", "conversations")
# Where an export names the message the user last saw (ChatGPT, Claude).
CURRENT_KEYS = ("current_node", "current_leaf_message_uuid")


class Tree:
    """Nodes by id: parent id, message (None for a structural node), document order."""

    def __init__(self):
        self.parent: dict[str, str | None] = {}
        self.message: dict[str, dict | None] = {}

    def add(self, node_id: str, parent: str | None, message: dict | None) -> None:
        self.parent[node_id] = None if parent is None else str(parent)
        self.message[node_id] = message if isinstance(message, dict) else None


def conversation_tree(record) -> Tree | None:
    """The record's message tree, or None when it is not a branched export."""
    if not isinstance(record, dict):
        return None
    mapping = record.get("mapping")
    if (
        isinstance(mapping, dict)
        and mapping
        and all(isinstance(n, dict) and ("parent" in n or "children" in n) for n in list(mapping.values())[:20])
    ):
        tree = Tree()
        for node_id, node in mapping.items():
            if isinstance(node, dict):
                tree.add(str(node_id), node.get("parent"), node.get("message"))
        return tree
    for key in TREE_LIST_KEYS:
        messages = record.get(key)
        if isinstance(messages, list) and messages and all(_linked(m) for m in messages):
            tree = Tree()
            for message in messages:
                node_id = next(str(message[k]) for k in ID_KEYS if message.get(k) is not None)
                tree.add(node_id, next((message[k] for k in PARENT_KEYS if k in message), None), message)
            if any(parent in tree.parent for parent in tree.parent.values()):
                return tree
    return None


def _linked(message) -> bool:
    return (
        isinstance(message, dict)
        and any(message.get(k) is not None for k in ID_KEYS)
        and any(k in message for k in PARENT_KEYS)
    )


def flatten_tree(tree: Tree, record: dict, turn_of) -> tuple[list[dict], list[dict], str | None]:
    """(main turns, branches, model of the last answer): each branch {leaf_id,
    diverges_after_turn, turns} holds the turns after it leaves the main branch."""
    children: dict[str, list[str]] = {}
    for node_id, parent in tree.parent.items():
        if parent in tree.parent:
            children.setdefault(parent, []).append(node_id)
    leaves = [n for n in tree.parent if n not in children]
    main_leaf = _main_leaf(tree, record, leaves)
    main_path = _path(tree, main_leaf)
    turns = _turns(tree, main_path, turn_of)
    branches = []
    for leaf in leaves:
        if leaf == main_leaf:
            continue
        path = _path(tree, leaf)
        shared = next((i for i, (a, b) in enumerate(zip(path, main_path)) if a != b), min(len(path), len(main_path)))
        branches.append(
            {
                "leaf_id": leaf,
                "diverges_after_turn": len(_turns(tree, path[:shared], turn_of)),
                "turns": _turns(tree, path[shared:], turn_of),
            }
        )
    return turns, [b for b in branches if b["turns"]], _model(tree, main_path)


def _main_leaf(tree: Tree, record: dict, leaves: list[str]) -> str:
    for key in CURRENT_KEYS:
        current = record.get(key)
        if isinstance(current, str) and current in tree.parent:
            return current
    order = {node_id: index for index, node_id in enumerate(tree.parent)}

    def latest_then_longest(node_id):
        time = (tree.message.get(node_id) or {}).get("create_time")
        return (time if isinstance(time, (int, float)) else float("-inf"), len(_path(tree, node_id)), order[node_id])

    return max(leaves, key=latest_then_longest) if leaves else next(iter(tree.parent))


def _path(tree: Tree, leaf: str) -> list[str]:
    """Node ids from the root to the leaf (a cycle in a damaged export stops the walk)."""
    path, seen, node = [], set(), leaf
    while node is not None and node in tree.parent and node not in seen:
        seen.add(node)
        path.append(node)
        node = tree.parent[node]
    return path[::-1]


def _turns(tree: Tree, path: list[str], turn_of) -> list[dict]:
    turns = []
    for node_id in path:
        message = tree.message.get(node_id)
        if message is None:
            continue
        turn = turn_of(message)
        if turn["content"]:
            turn.setdefault("id", node_id)
            turns.append(turn)
    return turns


def _model(tree: Tree, path: list[str]) -> str | None:
    for node_id in reversed(path):
        metadata = (tree.message.get(node_id) or {}).get("metadata")
        if isinstance(metadata, dict) and isinstance(metadata.get("model_slug"), str):
            return metadata["model_slug"]
    return None
