"""The installation's Ed25519 key that signs case packages, kept in a file outside the store.

A police unit checks a package with standard tools (`openssl pkeyutl -verify ... -rawin`), so the
signature is plain Ed25519 (PyCA `cryptography`, no home-made crypto) over the exact bytes of a file,
and the public key is a SubjectPublicKeyInfo PEM. The private key is made once per installation, by
`quickstart` or when the first package is built (a write: never by a page or API read), with mode 600;
like the audit head it lives beside the store, never in it, so a copy of the database cannot forge a
package. A key's fingerprint is the SHA-256 of its public PEM file, which a unit can recompute with
`sha256sum lokerwatch-pub.pem` and compare with the one the desk shows.
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from service.errors import LokerwatchError

SIGNATURE_BYTES = 64


class SigningKeyError(LokerwatchError):
    """The installation's signing key cannot be made, read or trusted (or a public key file given is bad)."""

    exit_code = 2  # a setting or file to fix; exit code 1 of `lead verify` means "NOT intact"


@dataclass(frozen=True)
class PackageSigner:
    """The installation's private key with its public half as the PEM packages carry."""

    private_key: Ed25519PrivateKey

    @property
    def public_pem(self) -> bytes:
        return public_pem(self.private_key.public_key())

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_pem)

    def sign(self, data: bytes) -> bytes:
        return self.private_key.sign(data)


def public_pem(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def fingerprint(pem: bytes) -> str:
    """SHA-256 of a public key's PEM file: what `sha256sum lokerwatch-pub.pem` prints."""
    return hashlib.sha256(pem).hexdigest()


def signature_valid(key: Ed25519PublicKey, data: bytes, signature: bytes) -> bool:
    try:
        key.verify(signature, data)
    except InvalidSignature:
        return False
    return True


def load_or_create_signer(path: Path) -> PackageSigner:
    """The installation's signer at `path`, made there (mode 600) the first time it is asked for."""
    if not path.exists():
        _create(path)
    return PackageSigner(_read_private_key(path))


def existing_signer(path: Path) -> PackageSigner | None:
    """The installation's signer if its key exists; never creates one (for reads: the desk's pages, GET routes)."""
    return PackageSigner(_read_private_key(path)) if path.exists() else None


def installation_public_key(path: Path) -> Ed25519PublicKey:
    """The public half of the installation's key at `path` (never creates one: a new key signed nothing)."""
    if not path.exists():
        raise SigningKeyError(f"no signing key at {path}: this installation has exported no package yet; "
                              "pass the public key published on the desk (--public-key FILE)")
    return _read_private_key(path).public_key()


def read_public_key(path: Path) -> Ed25519PublicKey:
    """An Ed25519 public key from a PEM file (e.g. the one downloaded from the desk)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SigningKeyError(f"{path}: cannot read the public key ({exc.strerror})") from exc
    key = parse_public_pem(data)
    if key is None:
        raise SigningKeyError(f"{path}: not an Ed25519 public key in PEM form")
    return key


def parse_public_pem(data: bytes) -> Ed25519PublicKey | None:
    """The Ed25519 public key in `data`, or None if it holds anything else."""
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        return None
    return key if isinstance(key, Ed25519PublicKey) else None


def _read_private_key(path: Path) -> Ed25519PrivateKey:
    try:
        mode = path.stat().st_mode
        data = path.read_bytes()
    except OSError as exc:
        raise SigningKeyError(f"{path}: cannot read the signing key ({exc.strerror})") from exc
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        # Like ssh with an open private key: refuse rather than sign with a key others may have copied.
        raise SigningKeyError(f"{path}: the signing key is readable by other users "
                              f"(mode {stat.S_IMODE(mode):o}); run `chmod 600 {path}`")
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        raise SigningKeyError(f"{path}: not an unencrypted Ed25519 private key in PEM form") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningKeyError(f"{path}: the signing key is not an Ed25519 key")
    return key


def _create(path: Path) -> None:
    """Write a new key to a private temporary file and link it into place, so two processes starting at
    once end up with one key (the second link fails and that process reads the first one's key)."""
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".lokerwatch-key-", dir=path.parent)  # mode 600
    except OSError as exc:
        raise SigningKeyError(f"cannot create the signing key at {path} ({exc.strerror})") from exc
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(pem)
            file.flush()
            os.fsync(file.fileno())
        os.link(temporary, path)
    except FileExistsError:
        pass
    except OSError as exc:
        raise SigningKeyError(f"cannot create the signing key at {path} ({exc.strerror})") from exc
    finally:
        os.unlink(temporary)
