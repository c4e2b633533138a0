import { describe, expect, it } from 'vitest';
import { pickerCommand, type PickerKey } from '../../../src/ui/picker/keys.js';

const none: PickerKey = {
  upArrow: false,
  downArrow: false,
  pageUp: false,
  pageDown: false,
  return: false,
  escape: false,
  ctrl: false,
  meta: false,
};
const k = (over: Partial<PickerKey> = {}): PickerKey => ({ ...none, ...over });

describe('pickerCommand', () => {
  it('plain d and r are commands only while the search field is empty', () => {
    expect(pickerCommand('browse', true, 'd', k())).toEqual({ type: 'delete' });
    expect(pickerCommand('browse', true, 'r', k())).toEqual({ type: 'rename' });
    expect(pickerCommand('browse', false, 'd', k())).toEqual({ type: 'type' });
    expect(pickerCommand('browse', false, 'r', k())).toEqual({ type: 'type' });
    expect(pickerCommand('browse', true, 'D', k())).toEqual({ type: 'type' });
  });

  it('Ctrl+D and Ctrl+R work with or without a search', () => {
    for (const empty of [true, false]) {
      expect(pickerCommand('browse', empty, 'd', k({ ctrl: true }))).toEqual({ type: 'delete' });
      expect(pickerCommand('browse', empty, 'r', k({ ctrl: true }))).toEqual({ type: 'rename' });
    }
  });

  it('arrows, Ctrl+P/Ctrl+N and pages move; Enter opens; Esc closes', () => {
    expect(pickerCommand('browse', false, '', k({ upArrow: true }))).toEqual({ type: 'move', by: -1 });
    expect(pickerCommand('browse', false, '', k({ downArrow: true }))).toEqual({ type: 'move', by: 1 });
    expect(pickerCommand('browse', false, 'p', k({ ctrl: true }))).toEqual({ type: 'move', by: -1 });
    expect(pickerCommand('browse', false, 'n', k({ ctrl: true }))).toEqual({ type: 'move', by: 1 });
    expect(pickerCommand('browse', false, '', k({ pageUp: true }))).toEqual({ type: 'page', by: -1 });
    expect(pickerCommand('browse', false, '', k({ pageDown: true }))).toEqual({ type: 'page', by: 1 });
    expect(pickerCommand('browse', false, '', k({ return: true }))).toEqual({ type: 'open' });
    expect(pickerCommand('browse', false, '', k({ escape: true }))).toEqual({ type: 'close' });
  });

  it('other Ctrl and Alt keys never reach the search field', () => {
    expect(pickerCommand('browse', false, 'a', k({ ctrl: true }))).toEqual({ type: 'ignore' });
    expect(pickerCommand('browse', true, 'd', k({ meta: true }))).toEqual({ type: 'ignore' });
    expect(pickerCommand('browse', false, 'x', k())).toEqual({ type: 'type' });
  });

  it('a delete is confirmed only by y', () => {
    expect(pickerCommand('confirm-delete', true, 'y', k())).toEqual({ type: 'confirm' });
    expect(pickerCommand('confirm-delete', true, 'Y', k())).toEqual({ type: 'confirm' });
    expect(pickerCommand('confirm-delete', true, 'n', k())).toEqual({ type: 'cancel' });
    expect(pickerCommand('confirm-delete', true, '', k({ escape: true }))).toEqual({ type: 'cancel' });
    expect(pickerCommand('confirm-delete', true, '', k({ return: true }))).toEqual({ type: 'ignore' });
    expect(pickerCommand('confirm-delete', true, 'd', k())).toEqual({ type: 'ignore' });
  });

  it('renaming: Enter saves, Esc cancels, letters type, Ctrl keys do not', () => {
    expect(pickerCommand('rename', true, '', k({ return: true }))).toEqual({ type: 'save' });
    expect(pickerCommand('rename', true, '', k({ escape: true }))).toEqual({ type: 'cancel' });
    expect(pickerCommand('rename', true, 'u', k({ ctrl: true }))).toEqual({ type: 'clear' });
    expect(pickerCommand('browse', false, 'u', k({ ctrl: true }))).toEqual({ type: 'clear' });
    expect(pickerCommand('rename', true, 'd', k())).toEqual({ type: 'type' });
    expect(pickerCommand('rename', true, 'r', k({ ctrl: true }))).toEqual({ type: 'ignore' });
  });
});
