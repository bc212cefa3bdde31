import { ApiError } from '../common/api-error.js';
import { applySupportParameters, DEFAULT_SUPPORT_PARAMETERS } from './support-parameters.js';

const p = (
  accountingEnabled: boolean,
  dirStatsServiceEnabled: boolean,
  dirStatsServiceStatus: 'initializing' | 'enabled' | 'stopping' | 'disabled',
) => ({
  accountingEnabled,
  dirStatsServiceEnabled,
  dirStatsServiceStatus,
});

describe('applySupportParameters', () => {
  it('starts the statistics as initializing when switched on, and leaves null fields alone', () => {
    expect(applySupportParameters(DEFAULT_SUPPORT_PARAMETERS, { dirStatsServiceEnabled: true })).toEqual(p(false, true, 'initializing'));
    expect(applySupportParameters(p(false, true, 'enabled'), { accountingEnabled: null, dirStatsServiceEnabled: null })).toEqual(
      p(false, true, 'enabled'),
    );
  });

  it('stops them when switched off from enabled or initializing', () => {
    expect(applySupportParameters(p(false, true, 'enabled'), { dirStatsServiceEnabled: false })).toEqual(p(false, false, 'stopping'));
    expect(applySupportParameters(p(false, true, 'initializing'), { dirStatsServiceEnabled: false })).toEqual(p(false, false, 'stopping'));
    expect(applySupportParameters(p(false, false, 'stopping'), { dirStatsServiceStatus: 'disabled' })).toEqual(p(false, false, 'disabled'));
  });

  it('adjusts a reported status to the switch', () => {
    expect(applySupportParameters(p(false, true, 'initializing'), { dirStatsServiceStatus: 'disabled' })).toEqual(
      p(false, true, 'initializing'),
    );
    expect(applySupportParameters(p(false, false, 'disabled'), { dirStatsServiceStatus: 'enabled' })).toEqual(p(false, false, 'stopping'));
    expect(applySupportParameters(p(false, true, 'initializing'), { dirStatsServiceStatus: 'enabled' })).toEqual(p(false, true, 'enabled'));
  });

  it('refuses accounting without the statistics (400)', () => {
    expect(() => applySupportParameters(DEFAULT_SUPPORT_PARAMETERS, { accountingEnabled: true })).toThrow(ApiError);
    expect(() => applySupportParameters(p(true, true, 'enabled'), { dirStatsServiceEnabled: false })).toThrow(ApiError);
    expect(applySupportParameters(DEFAULT_SUPPORT_PARAMETERS, { accountingEnabled: true, dirStatsServiceEnabled: true })).toEqual(
      p(true, true, 'initializing'),
    );
  });
});
