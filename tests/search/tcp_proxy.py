"""A TCP proxy on 127.0.0.1 that a test can cut (as a network failure or a killed server would)."""

from __future__ import annotations

import socket
import threading


class TcpProxy:
	def __init__(self, target: tuple[str, int], cut_after_bytes: int | None = None) -> None:
		self.target = target
		self.cut_after_bytes = cut_after_bytes  # cut once this much went towards the target
		self.sent = 0
		self._lock = threading.Lock()
		self._sockets: list[socket.socket] = []
		self._listener: socket.socket | None = None
		probe = socket.create_server(("127.0.0.1", 0))
		self.port = probe.getsockname()[1]
		probe.close()
		self.resume()

	@property
	def url(self) -> str:
		return f"http://127.0.0.1:{self.port}"

	@property
	def is_open(self) -> bool:
		return self._listener is not None

	def resume(self) -> None:
		"""Accept connections again (on the same port)."""
		self.cut_after_bytes = None
		self._listener = socket.create_server(("127.0.0.1", self.port))
		threading.Thread(target=self._accept, args=(self._listener,), daemon=True).start()

	def cut(self) -> None:
		"""Drop every connection and refuse new ones."""
		with self._lock:
			if self._listener is not None:
				self._listener.close()
				self._listener = None
			for s in self._sockets:
				try:
					s.shutdown(socket.SHUT_RDWR)
				except OSError:
					pass
				s.close()
			self._sockets.clear()

	def _accept(self, listener: socket.socket) -> None:
		while True:
			try:
				client, _ = listener.accept()
			except OSError:
				return
			upstream = socket.create_connection(self.target)
			with self._lock:
				self._sockets += [client, upstream]
			threading.Thread(target=self._pipe, args=(client, upstream, True), daemon=True).start()
			threading.Thread(target=self._pipe, args=(upstream, client, False), daemon=True).start()

	def _pipe(self, src: socket.socket, dst: socket.socket, outgoing: bool) -> None:
		try:
			while data := src.recv(65536):
				if outgoing:
					self.sent += len(data)
					if self.cut_after_bytes is not None and self.sent > self.cut_after_bytes:
						self.cut()
						return
				dst.sendall(data)
		except OSError:
			pass
