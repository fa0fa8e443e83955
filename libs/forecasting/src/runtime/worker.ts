// Default entry of forecastMany's worker threads.
import { runForecastWorkerIfChild } from './forecastWorker';

runForecastWorkerIfChild();
