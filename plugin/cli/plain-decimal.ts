// Plain decimal digits only, for numeric options: Number() would also take '' as 0, ' 1' as 1, '0x4' as 4 and '1e1' as 10.

/** A whole number written in decimal digits. */
export const WHOLE_DECIMAL = /^\d+$/;
/** A non-negative number written in decimal digits, with an optional point. */
export const DECIMAL = /^(\d+\.?\d*|\.\d+)$/;
