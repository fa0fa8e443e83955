// Default entry of forecastMany's worker threads.
import { runForecastWorkerIfChild } from './forecastMany';

runForecastWorkerIfChild();
