"""A flat, single-selection list with columns (the Batches, Threads and Notes docks):
one column stretches, the others fit their contents."""

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeWidget


def column_list(object_name: str, headers, stretch: int = 0) -> QTreeWidget:
    tree = QTreeWidget(objectName=object_name)
    tree.setHeaderLabels(list(headers))
    tree.setRootIsDecorated(False)
    tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    header = tree.header()
    header.setStretchLastSection(False)
    for column in range(len(headers)):
        mode = QHeaderView.ResizeMode.Stretch if column == stretch else QHeaderView.ResizeMode.ResizeToContents
        header.setSectionResizeMode(column, mode)
    return tree
