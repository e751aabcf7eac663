"""Each operator's signing key, kept outside every case file.

A hash chain anyone can recompute proves the order of the audit entries, not who wrote
them. So each entry is also signed with an Ed25519 key of the operator who made it. The
private key lives in the operator's own key folder, never in a case: someone holding
only the case file can no longer write an entry that verifies. The public key goes into
each case the operator writes to (see app/store/audit.py).

The key folder is `$CASEFILE_KEYS_DIR` if set, else `keys` in Casefile's per-user data
folder (app/core/paths.py). A key is made on first use, readable by its owner only.
"""

import hashlib
import os
import re
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from app.core.paths import user_data_dir

KEYS_DIR_VARIABLE = "CASEFILE_KEYS_DIR"


class KeyStoreError(Exception):
    """The key folder or a key in it cannot be used (one plain sentence)."""


def keys_dir() -> Path:
    """Where this user's signing keys (and the record of case heads) are kept."""
    override = os.environ.get(KEYS_DIR_VARIABLE)
    return Path(override) if override else user_data_dir() / "keys"


def key_id_of(public_key_hex: str) -> str:
    """A short, stable name for a public key: the first 16 hex digits of its SHA-256."""
    return hashlib.sha256(bytes.fromhex(public_key_hex)).hexdigest()[:16]


class OperatorKey:
    """One operator's key pair: signs messages; the public half goes into cases."""

    def __init__(self, private_key: Ed25519PrivateKey, path: Path):
        self._private = private_key
        self.path = path
        raw = private_key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        self.public_key = raw.hex()
        self.key_id = key_id_of(self.public_key)

    def sign(self, message: bytes) -> str:
        return self._private.sign(message).hex()


def operator_key(operator: str, folder: Path | None = None) -> OperatorKey:
    """The operator's key from the key folder, made (0600) on first use."""
    folder = folder or keys_dir()
    path = folder / f"{_file_stem(operator)}.ed25519.pem"
    try:
        if not path.exists():
            _create(path)
        private = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except OSError as exc:
        raise KeyStoreError(
            f"Casefile cannot use the signing key {path} ({exc.strerror or exc}); set "
            f"{KEYS_DIR_VARIABLE} to a folder you can write to."
        ) from exc
    except ValueError as exc:
        raise KeyStoreError(
            f"The signing key {path} is damaged ({exc}); restore it from a backup, or remove it "
            "and Casefile makes a new key (registered in each case at its next change)."
        ) from exc
    if not isinstance(private, Ed25519PrivateKey):
        raise KeyStoreError(f"{path} is not an Ed25519 signing key made by Casefile.")
    return OperatorKey(private, path)


def signature_valid(public_key_hex: str, message: bytes, signature_hex: str) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key_hex)).verify(bytes.fromhex(signature_hex), message)
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


def _create(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    try:  # O_EXCL: two processes making the first key at once keep the one written first
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(handle, "wb") as out:
        out.write(pem)
        out.flush()
        os.fsync(out.fileno())


def _file_stem(operator: str) -> str:
    """A file name for any operator name: readable part plus a hash, so distinct names never collide."""
    readable = re.sub(r"[^A-Za-z0-9._-]+", "_", operator).strip("._")[:40] or "operator"
    return f"{readable}-{hashlib.sha256(operator.encode('utf-8')).hexdigest()[:8]}"
