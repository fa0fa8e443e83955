export { ArimaFitError } from './arimaErrors';
export { fitArima, orderName as arimaOrderName } from './arimaFit';
export type { ArimaFit, ArimaFitOptions, ArimaMethod } from './arimaFit';
export type { ArimaOrder } from './arimaCore';
export { autoArima } from './autoArima';
export type { AutoArimaOptions } from './autoArima';
export { ndiffs, nsdiffs, seasonalStrength } from './unitRoot';
export { arimaModel, arimaModelName, fitArimaModel } from './arimaModel';
