/** The one font family charts are drawn in: DejaVu Sans, shipped as files (dejavu-fonts-ttf), not the system's. */
export const CHART_FONT = 'DejaVu Sans';
