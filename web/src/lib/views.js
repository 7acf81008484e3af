// Rows of the views (tables, exports) picked from engine results. Selection only.

/** The Hugging Face calculator's rows (M.hfTable), one per dtype; [] while there is no model. */
export function hfRows(app) {
  const t = app.hfTable.value;
  if (!t?.ok) return [];
  return t.value.rows.map((r) => ({
    dtype: r.dtype,
    largestLayerBytes: r.largestLayerBytes,
    totalBytes: r.totalBytes,
    trainingBytes: r.training ? r.training.peakBytes : null,
    stages: r.training ? { model: r.training.model, gradients: r.training.gradients, optimizer: r.training.optimizer, step: r.training.step } : null,
    // The Space's own text (accelerate convert_bytes: binary units labelled "GB").
    text: { largest: r.largestLayerText, total: r.totalText, training: r.training ? r.training.peakText : 'N/A' },
  }));
}
