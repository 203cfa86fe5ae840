import gc
import threading

import pytest

from saleor_ma_plugin.core.collection import collector_paused


@pytest.fixture
def collector_enabled():
    gc.enable()
    yield
    gc.enable()


def test_the_collector_is_paused_inside_and_running_again_after(collector_enabled):
    # given a running collector
    # when a batch runs
    with collector_paused():
        inside = gc.isenabled()
    # then it was paused inside and runs again afterwards
    assert inside is False
    assert gc.isenabled() is True


def test_nested_pauses_keep_the_collector_paused_until_the_outer_one_ends(collector_enabled):
    # given an outer batch
    with collector_paused():
        # when an inner one ends
        with collector_paused():
            pass
        between = gc.isenabled()
    # then the outer one was still paused, and the collector runs once both ended
    assert between is False
    assert gc.isenabled() is True


def test_a_collector_disabled_by_someone_else_stays_disabled(collector_enabled):
    # given a host that runs without the cyclic collector
    gc.disable()
    # when a batch runs
    with collector_paused():
        pass
    # then the batch did not turn it on
    assert gc.isenabled() is False


def test_a_failing_batch_leaves_the_collector_running(collector_enabled):
    # given a batch that raises
    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError("step failed")
    # then the collector runs again
    assert gc.isenabled() is True


def test_overlapping_batches_in_threads_resume_the_collector_only_after_the_last(
    collector_enabled,
):
    # given a batch in another thread that is still running
    entered, release = threading.Event(), threading.Event()

    def other_batch():
        with collector_paused():
            entered.set()
            release.wait(5)

    other = threading.Thread(target=other_batch)
    other.start()
    entered.wait(5)
    # when this thread's batch ends first
    with collector_paused():
        pass
    paused_while_the_other_runs = not gc.isenabled()
    release.set()
    other.join(5)
    # then the collector stayed paused until the other batch ended too
    assert paused_while_the_other_runs is True
    assert gc.isenabled() is True


def test_garbage_cycles_made_during_a_batch_are_collected_afterwards(collector_enabled):
    # given a batch that leaves a reference cycle behind
    class Node:
        pass

    with collector_paused():
        node = Node()
        node.itself = node
        marker = id(node)
        del node
        left_inside = any(id(obj) == marker for obj in gc.get_objects(generation=0))
    # then the cycle lived as long as the batch and was collected when it ended
    assert left_inside is True
    assert not any(id(obj) == marker for obj in gc.get_objects())
