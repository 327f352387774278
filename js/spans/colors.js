// One colour per label, in the order of the labels; dark enough for white text on a chip.

export const PALETTE = [
  "#c62828", // red
  "#1565c0", // blue
  "#2e7d32", // green
  "#6a1b9a", // purple
  "#e65100", // orange
  "#00838f", // teal
  "#ad1457", // pink
  "#5d4037", // brown
  "#283593", // indigo
  "#546e7a", // grey
];

/** The colour of the label at this index. */
export const labelColor = (index) => PALETTE[((index % PALETTE.length) + PALETTE.length) % PALETTE.length];

/** "#rrggbb" at some opacity, as rgba(). */
export function tint(hex, alpha) {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}
