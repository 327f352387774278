"""One pool for the process: pieces run in order, and work on the pool may map pieces too."""

from __future__ import annotations

import threading

from nbreview._data import parallel


def test_pieces_come_back_in_order_from_one_shared_pool():
    assert parallel.map_pieces(lambda x: x * x, range(50)) == [x * x for x in range(50)]
    pool = parallel._pool
    parallel.map_pieces(str, [1, 2, 3])
    assert parallel._pool is pool  # not a pool per call


def test_pieces_mapped_from_inside_the_pool_do_not_wait_for_it():
    def outer(i: int) -> list[int]:
        return parallel.map_pieces(lambda j: i * 10 + j, range(5))

    done = []
    worker = threading.Thread(target=lambda: done.append(parallel.map_pieces(outer, range(8))))
    worker.start()
    worker.join(timeout=30)
    assert not worker.is_alive(), "nested map_pieces deadlocked"
    assert done[0] == [[i * 10 + j for j in range(5)] for i in range(8)]
