"""The OCR engine: RapidOCR's PP-OCR models on onnxruntime, shipped inside the wheel (no network at run time).

One engine per process and thread count, built on first use (loading the three models takes ~0.3 s). Only the
three model stages are used — detection, 0/180 classification and recognition — so that the page source decides
resolution, rotation and cropping itself.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import cv2
import numpy as np

DEFAULT_THREADS = 1  # one onnxruntime thread per process: the batch runs one worker per core


@dataclass(frozen=True)
class Recognised:
    """One text line read from a crop: its text, mean confidence, and each character's centre x in crop pixels
    with the character's confidence."""

    text: str
    confidence: float
    chars: list[tuple[str, float, float]]  # (char, centre x, confidence)


@lru_cache(maxsize=4)
def _engine(threads: int, pid: int) -> Any:  # rapidocr_onnxruntime.RapidOCR (no type stubs)
    from rapidocr_onnxruntime import RapidOCR

    ocr = RapidOCR(intra_op_num_threads=threads, inter_op_num_threads=1, print_verbose=False)
    # each line read alone: no padding to a batch's widest line, which is faster on long narrative lines and makes
    # a line's reading independent of the lines it would have been batched with
    ocr.text_rec.rec_batch_num = 1
    return ocr


def engine(threads: int = DEFAULT_THREADS) -> Any:
    """The process's engine (rebuilt in a forked child: onnxruntime sessions do not survive a fork)."""
    return _engine(threads, os.getpid())


def _bgr(image: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(image, cv2.COLOR_GRAY2BGR) if image.ndim == 2 else image


def detect(image: np.ndarray, threads: int = DEFAULT_THREADS) -> list[np.ndarray]:
    """Text boxes of a (greyscale) image: 4×2 float arrays, corners clockwise from top-left, in image pixels."""
    boxes, _ = engine(threads).text_det(_bgr(image))
    if boxes is None:
        return []
    return [np.asarray(b, dtype=np.float32) for b in boxes]


def upside_down(crops: list[np.ndarray], threads: int = DEFAULT_THREADS) -> list[tuple[bool, float]]:
    """For each text-line crop, whether the classifier reads it as turned 180°, with its score."""
    if not crops:
        return []
    _, results, _ = engine(threads).text_cls([_bgr(c) for c in crops])
    return [(label == "180", float(score)) for label, score in results]


def recognise(crops: list[np.ndarray], threads: int = DEFAULT_THREADS) -> list[Recognised]:
    """Text of each upright text-line crop, with every character's position (from the CTC column it was decoded
    at, scaled to the crop's width)."""
    if not crops:
        return []
    results, _ = engine(threads).text_rec([_bgr(c) for c in crops], True)
    return [_recognised(r, crop.shape[1]) for r, crop in zip(results, crops, strict=True)]


def _recognised(result: tuple, width: int) -> Recognised:
    text, confidence, info = result
    columns, words, word_columns, _states, confs = info
    chars: list[tuple[str, float, float]] = []
    flat = [(ch, col) for word, cols in zip(words, word_columns, strict=True)
            for ch, col in zip(word, cols, strict=True)]
    for i, (ch, col) in enumerate(flat):
        x = (col + 0.5) * width / columns if columns else 0.0
        chars.append((ch, float(x), float(confs[i]) if i < len(confs) else float(confidence)))
    return Recognised(text, float(confidence), chars)
