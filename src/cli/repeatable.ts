/** commander's collector for an option given more than once (`--set a=1 --set b=2`). */
export const collect = (value: string, previous: string[]): string[] => [...previous, value];
