"""The columnar path: table-shaped inputs read with pyarrow and converted column by column.

JSON Lines (:mod:`.jsonl`), Semantic Scholar papers (:mod:`.s2_lines`), the arXiv metadata snapshot
(:mod:`.arxiv_lines`), CSV/TSV (:mod:`.csv_table`,
rows parsed by the record reader itself) and Parquet (:mod:`.parquet`) files are read in blocks; each block's
columns go through vectorised kernels (:mod:`.kernels`, and the columnar twins in
:mod:`litreview.fields`) that give exactly what the record-by-record readers give, and the rows a
kernel cannot judge are read by the record path itself.  ``route.read_file`` is how :func:`litreview.load`
takes this path: it answers ``None`` when a file is not one it handles, and the ordinary reader reads it.
The blocks' tables are joined column by column (:mod:`.frames`), so the table is built without a second copy.
"""
