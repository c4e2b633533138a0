import { createContext } from 'react';
import type { Caret } from '../terminal/screen.js';

/**
 * Where the prompt editor reports its caret (a cell of Ink's frame, or null when it has none).
 * In the app this is the Screen's `setCaret`; without a provider (component tests) the editor
 * places Ink's own cursor instead.
 */
export const CaretContext = createContext<((caret: Caret | null) => void) | null>(null);
