"""Where an export goes: stdout, a file put in place atomically, a device or pipe, or S3.

A regular file (or a path that does not exist yet) is written to a
temporary file in the target's own directory, flushed and fsync'd, then
renamed over the target with `os.replace`; if the export fails or is
interrupted (an exception, KeyboardInterrupt, SystemExit) the temporary
file is removed and the previous file is untouched. A symlink is followed:
the file it points to is replaced that way, and the link stays. Anything
else (a device such as /dev/null, a FIFO, a socket, /dev/stdout,
/dev/fd/N) is written in place, as a shell redirection would: it is
never replaced.

An S3 target (`s3://bucket/key`) is written to a local temporary file and
uploaded only once finished. Its bucket name is checked by `parse_target`,
the bucket itself by `check_s3_target` (both before anything is
collected); if the upload still fails, the export is kept in a local file
that the UploadError names. boto3 is imported only for S3 targets, and
only a client is asked of it: the caller may hand one in (`s3_client=`).
"""
from __future__ import annotations

import io
import os
import re
import stat
import sys
import tempfile
from typing import IO, Any, Optional, Union

import attrs

from . import InvalidTargetError, UploadError

__all__ = ["Target", "parse_target", "check_s3_target", "Output"]


@attrs.frozen
class Target:
    """A parsed output target."""

    kind: str  # "stdout", "file" or "s3"
    path: Optional[str] = None
    bucket: Optional[str] = None
    key: Optional[str] = None
    #: A file target that is not a regular file (a device, a FIFO, /dev/stdout): written in place.
    in_place: bool = False

    def __str__(self) -> str:
        if self.kind == "s3":
            return f"s3://{self.bucket}/{self.key}"
        return self.path or "<stdout>"


def parse_target(target: Optional[str]) -> Target:
    """`None`/`-` is stdout, `s3://bucket/key` is S3, anything else a file path.

    Raises InvalidTargetError for a target that cannot work, before anything
    is collected: an S3 URL without a key, a file in a missing directory, a
    directory given as the file.
    """
    if target is None or target == "-":
        return Target("stdout")
    if target.lower().startswith("s3://"):
        rest = target[5:]
        bucket, _, key = rest.partition("/")
        if not bucket or not key or key.endswith("/"):
            raise InvalidTargetError(f"{target}: an S3 output needs a bucket and an object key (s3://bucket/key)")
        _check_bucket_name(target, bucket)
        return Target("s3", bucket=bucket, key=key)
    if not target:
        raise InvalidTargetError("the output path is empty")
    given = os.path.abspath(os.path.expanduser(target))
    if _in_place(given):
        return Target("file", path=given, in_place=True)
    # A symlink: the file it points to is what gets replaced; the link stays.
    path = os.path.realpath(given)
    if os.path.isdir(path):
        raise InvalidTargetError(f"{target}: is a directory")
    directory = os.path.dirname(path)
    if not os.path.isdir(directory):
        raise InvalidTargetError(f"{target}: directory {directory} does not exist")
    if not os.access(directory, os.W_OK | os.X_OK):
        raise InvalidTargetError(f"{target}: directory {directory} is not writable")
    return Target("file", path=path)


#: Paths that are a process's open file, whatever they point to: written in place.
_FD_PATHS = re.compile(r"^/(dev/(stdout|stderr|stdin|fd/\d+)|proc/(self|thread-self|\d+)/fd/\d+)$")


def _in_place(path: str) -> bool:
    """True for a target that must be written in place: an open file's path, a device, a FIFO, a socket."""
    if _FD_PATHS.match(path) or _FD_PATHS.match(os.path.realpath(path)):
        return True
    try:
        mode = os.stat(path).st_mode  # follows a symlink to what it points to
    except OSError:
        return False  # nothing there yet (or a dangling link): a new regular file
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_IP_ADDRESS = re.compile(r"^\d+\.\d+\.\d+\.\d+$")


def _check_bucket_name(target: str, bucket: str) -> None:
    """InvalidTargetError unless `bucket` follows S3's naming rules."""
    if not _BUCKET.match(bucket) or ".." in bucket or _IP_ADDRESS.match(bucket) or ".-" in bucket \
            or "-." in bucket:
        raise InvalidTargetError(
            f"{target}: {bucket!r} is not an S3 bucket name (3 to 63 lowercase letters, digits, dots "
            "and hyphens, starting and ending with a letter or digit)"
        )


def check_s3_target(target: Target, s3_client: Any) -> None:
    """Before collecting: the bucket of an S3 target exists and answers (HeadBucket).

    InvalidTargetError when there is no such bucket; UploadError when it
    cannot be reached. A bucket that answers 403 is left to the upload: a
    role may put objects without the right to HeadBucket.
    """
    if target.kind != "s3":
        return
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        s3_client.head_bucket(Bucket=target.bucket)
    except ClientError as exc:
        error = exc.response.get("Error") or {}
        status = (exc.response.get("ResponseMetadata") or {}).get("HTTPStatusCode")
        if status == 404 or error.get("Code") in ("404", "NoSuchBucket"):
            raise InvalidTargetError(f"{target}: there is no bucket {target.bucket!r}") from None
        if status == 403 or error.get("Code") in ("403", "AccessDenied"):
            return
        raise UploadError(f"{target}: the bucket cannot be reached: {exc}") from None
    except BotoCoreError as exc:
        raise UploadError(f"{target}: the bucket cannot be reached: {exc}") from None


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _fsync_directory(directory: str) -> None:
    if os.name != "posix":
        return
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class Output:
    """A context manager giving the stream to write an export to.

    `binary=True` gives a bytes stream; otherwise a UTF-8 text stream with
    no newline translation (formats choose their own line ends).
    `terminal=True` (text for people, e.g. the table) writes to `sys.stdout`
    as it is, in the terminal's encoding, when the target is stdout.

    On a clean exit the export is committed (renamed into place, or uploaded);
    on an exception, or after `discard()`, it is thrown away and any previous
    file is left as it was. Stdout cannot be taken back: what was written
    stays written.
    """

    def __init__(
        self,
        target: Union[str, Target, None] = None,
        *,
        binary: bool = False,
        terminal: bool = False,
        content_type: Optional[str] = None,
        s3_client: Any = None,
        stdout: Optional[IO[Any]] = None,
    ) -> None:
        self.target = target if isinstance(target, Target) else parse_target(target)
        self.binary = binary
        self.terminal = terminal
        self.content_type = content_type
        self._s3_client = s3_client
        self._stdout = stdout
        self._tmp: Optional[str] = None
        self._raw: Optional[IO[bytes]] = None
        self._stream: Optional[IO[Any]] = None
        self._discarded = False
        self.committed = False

    # -- entering -----------------------------------------------------------
    def __enter__(self) -> IO[Any]:
        if self.target.kind == "stdout":
            return self._enter_stdout()
        if self.target.in_place:
            return self._enter_in_place()
        directory = os.path.dirname(self.target.path) if self.target.kind == "file" else None
        prefix = "." + os.path.basename(self.target.path or self.target.key or "export") + "."
        fd, self._tmp = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=directory)
        self._raw = os.fdopen(fd, "wb")
        if self.binary:
            self._stream = self._raw
        else:
            self._stream = io.TextIOWrapper(self._raw, encoding="utf-8", newline="")
        return self._stream

    def _enter_stdout(self) -> IO[Any]:
        out = self._stdout if self._stdout is not None else sys.stdout
        if self.terminal and not self.binary:
            self._stream = out
            return out
        buffer = getattr(out, "buffer", None)
        if buffer is None:  # a StringIO/BytesIO handed in by a test or a caller
            self._stream = out
            return out
        out.flush()
        if self.binary:
            self._stream = buffer
        else:
            self._stream = io.TextIOWrapper(buffer, encoding="utf-8", newline="", write_through=True)
        return self._stream

    def _enter_in_place(self) -> IO[Any]:
        """A device, FIFO or open file's path: opened for writing as `>` would, never replaced."""
        assert self.target.path is not None
        self._raw = open(self.target.path, "wb")  # noqa: SIM115 - closed in __exit__
        self._stream = self._raw if self.binary else io.TextIOWrapper(self._raw, encoding="utf-8", newline="")
        return self._stream

    def discard(self) -> None:
        """Do not commit: the target stays as it was (stdout output stays written)."""
        self._discarded = True

    # -- leaving ------------------------------------------------------------
    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        if self.target.kind == "stdout":
            self._exit_stdout()
            return
        if self.target.in_place:
            self._exit_in_place()
            return
        try:
            if exc_type is None and not self._discarded:
                self._commit()
        finally:
            self._cleanup()

    def _exit_stdout(self) -> None:
        stream = self._stream
        self._stream = None
        if stream is None:
            return
        try:
            stream.flush()
        finally:
            if isinstance(stream, io.TextIOWrapper) and stream is not sys.stdout and stream is not self._stdout:
                stream.detach()  # leave sys.stdout.buffer open
        self.committed = not self._discarded

    def _exit_in_place(self) -> None:
        stream, raw = self._stream, self._raw
        self._stream = self._raw = None
        try:
            if stream is not None:
                stream.close()  # flushes; closes raw too when it wraps it
        finally:
            if raw is not None:
                raw.close()
        self.committed = not self._discarded

    def _close_temp(self) -> None:
        stream, raw = self._stream, self._raw
        assert stream is not None and raw is not None
        stream.flush()  # a text wrapper hands its buffer down to raw
        raw.flush()
        os.fsync(raw.fileno())
        stream.close()  # closes raw too when it wraps it
        raw.close()
        self._stream = self._raw = None

    def _commit(self) -> None:
        self._close_temp()
        assert self._tmp is not None
        if self.target.kind == "file":
            path = self.target.path
            assert path is not None
            try:
                mode = os.stat(path).st_mode & 0o7777
            except FileNotFoundError:
                mode = _default_mode()
            os.chmod(self._tmp, mode)
            os.replace(self._tmp, path)
            self._tmp = None
            _fsync_directory(os.path.dirname(path))
        else:
            self._upload()
        self.committed = True

    def _upload(self) -> None:
        client = self._s3_client
        if callable(client) and not hasattr(client, "upload_file"):
            client = client()
        if client is None:
            import boto3  # only S3 targets need it

            client = boto3.client("s3")
        extra = {"ContentType": self.content_type} if self.content_type else None
        try:
            client.upload_file(self._tmp, self.target.bucket, self.target.key, ExtraArgs=extra)
        except Exception as exc:  # botocore's S3UploadFailedError, ClientError, endpoint errors...
            kept = self._keep()
            raise UploadError(f"could not upload to {self.target}: {exc}; the export is kept in {kept}") from exc

    def _keep(self) -> str:
        """Keep the finished export that could not be uploaded: its local file, renamed, named in the error."""
        assert self._tmp is not None
        directory = os.path.dirname(self._tmp)
        fd, kept = tempfile.mkstemp(prefix="jobinventory-not-uploaded-",
                                    suffix="-" + os.path.basename(self.target.key or "export"), dir=directory)
        os.close(fd)
        os.replace(self._tmp, kept)
        self._tmp = None  # not removed by the clean-up
        return kept

    def _cleanup(self) -> None:
        stream, raw = self._stream, self._raw
        self._stream = self._raw = None
        for handle in (stream, raw):
            if handle is not None:
                try:
                    handle.close()
                except Exception:
                    pass
        if self._tmp is not None:
            try:
                os.unlink(self._tmp)
            except FileNotFoundError:
                pass
            self._tmp = None

