"""The PDFium functions the PDFium page source calls, bound once over the library pypdfium2 loaded.

Most are typed (ctypes converts their arguments). Those called once per glyph or per path segment are bound
untyped (`hot`): ctypes then converts nothing, which halves the cost of a call, and the caller passes ready
ctypes objects (a handle as c_void_p, `byref` pointers). Our own function objects: pypdfium2's are untouched.
"""

from __future__ import annotations

import ctypes

import pypdfium2.raw as raw
import pypdfium2_raw.bindings as bindings

c_void_p = ctypes.c_void_p
_LIB = bindings._libs["pdfium"]  # the CDLL pypdfium2 loaded


def library_function(name: str):
    """A function of the PDFium library, unbound (its address is handed to the compiled helper)."""
    return _LIB[name]


def typed(name: str, restype, *argtypes):
    """A binding with argument types; a handle returned as c_void_p comes back a plain int (cheap as a key)."""
    fn = _LIB[name]
    fn.restype, fn.argtypes = restype, argtypes
    return fn


def hot(name: str, restype):
    """A binding for a call made per glyph or per path segment: no argument types, so ctypes converts nothing
    (half the cost of a call); the caller passes ready ctypes objects (a handle as c_void_p, byref pointers)."""
    fn = _LIB[name]
    fn.restype, fn.argtypes = restype, None
    return fn


class Handle(ctypes.c_void_p):
    """A PDFium handle kept as a ctypes object (a c_void_p subclass is not turned into an int when returned), so
    it can be passed on to an untyped call as it is."""


object_font = typed("FPDFTextObj_GetFont", c_void_p, c_void_p)
object_type = typed("FPDFPageObj_GetType", ctypes.c_int, c_void_p)
object_matrix = typed("FPDFPageObj_GetMatrix", ctypes.c_int, c_void_p, ctypes.POINTER(raw.FS_MATRIX))
page_object = typed("FPDFPage_GetObject", c_void_p, c_void_p, ctypes.c_int)
form_object = typed("FPDFFormObj_GetObject", c_void_p, c_void_p, ctypes.c_ulong)
form_count = typed("FPDFFormObj_CountObjects", ctypes.c_int, c_void_p)
segment_count = typed("FPDFPath_CountSegments", ctypes.c_int, c_void_p)
path_segment = hot("FPDFPath_GetPathSegment", Handle)
segment_point = hot("FPDFPathSegment_GetPoint", ctypes.c_int)
segment_type = hot("FPDFPathSegment_GetType", ctypes.c_int)
segment_close = hot("FPDFPathSegment_GetClose", ctypes.c_int)
font_descent = typed("FPDFFont_GetDescent", ctypes.c_int, c_void_p, ctypes.c_float, ctypes.POINTER(ctypes.c_float))
font_embedded = typed("FPDFFont_GetIsEmbedded", ctypes.c_int, c_void_p)
font_name = typed("FPDFFont_GetBaseFontName", ctypes.c_size_t, c_void_p, ctypes.c_char_p, ctypes.c_size_t)
font_ascent = typed("FPDFFont_GetAscent", ctypes.c_int, c_void_p, ctypes.c_float, ctypes.POINTER(ctypes.c_float))
load_text = typed("FPDFText_LoadPage", c_void_p, c_void_p)
close_text = typed("FPDFText_ClosePage", None, c_void_p)
count_chars = typed("FPDFText_CountChars", ctypes.c_int, c_void_p)
get_text = typed("FPDFText_GetText", ctypes.c_int, c_void_p, ctypes.c_int, ctypes.c_int, ctypes.c_void_p)
unicode = typed("FPDFText_GetUnicode", ctypes.c_uint, c_void_p, ctypes.c_int)
generated = hot("FPDFText_IsGenerated", ctypes.c_int)
unmapped = hot("FPDFText_HasUnicodeMapError", ctypes.c_int)
glyph_object = hot("FPDFText_GetTextObject", ctypes.c_void_p)
origin = hot("FPDFText_GetCharOrigin", ctypes.c_int)
loose_box = hot("FPDFText_GetLooseCharBox", ctypes.c_int)
char_matrix = typed("FPDFText_GetMatrix", ctypes.c_int, c_void_p, ctypes.c_int, ctypes.POINTER(raw.FS_MATRIX))
font_size = typed("FPDFText_GetFontSize", ctypes.c_double, c_void_p, ctypes.c_int)
